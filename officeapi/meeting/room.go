package meeting

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"zhengwu/officeapi/meeting/seating"
	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// defaultRooms are the office's rooms, written at the first start: a
// 1,500-seat auditorium, a 60-seat conference room and two small rooms.
// Their keepers (meeting.room.manage) edit them from then on.
//
//go:embed data/rooms.json
var defaultRooms []byte

// RoomList is the rooms (GET /meetings/rooms).
type RoomList struct {
	Items []Room `json:"items"`
}

// seedRooms writes each default room that does not exist yet.
func (s *Service) seedRooms(ctx context.Context) error {
	var rooms []Room
	if err := json.Unmarshal(defaultRooms, &rooms); err != nil {
		return fmt.Errorf("meeting: data/rooms.json: %w", err)
	}
	for _, r := range rooms {
		r.Active = true
		r.Capacity = r.Layout.RostrumSeats() + r.Layout.AudienceSeats()
		data, err := store.Encode(r)
		if err != nil {
			return err
		}
		_, err = s.d.Store.Put(ctx, RoomCollection, r.ID, data, 0)
		if err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return nil
}

// Rooms lists the rooms, by name.
func (s *Service) Rooms(ctx context.Context) (RoomList, error) {
	rooms, err := store.LoadAll[Room](ctx, s.d.Store, RoomCollection)
	if err != nil {
		return RoomList{}, err
	}
	slices.SortFunc(rooms, func(a, b Room) int { return b.Capacity - a.Capacity })
	if rooms == nil {
		rooms = []Room{}
	}
	return RoomList{Items: rooms}, nil
}

// Room loads one room (404 problem when missing).
func (s *Service) Room(ctx context.Context, id string) (Room, error) {
	r, _, err := store.Load[Room](ctx, s.d.Store, RoomCollection, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return Room{}, problem.NotFound("会议室不存在", "no such room")
	}
	return r, err
}

// SaveRoom adds a room (id empty or new) or replaces one, for a room
// keeper (meeting.room.manage office-wide). The capacity is the layout's
// seats.
func (s *Service) SaveRoom(ctx context.Context, a records.Actor, id string, in RoomInput) (Room, error) {
	if !a.P.Can(auth.PermMeetingRoomManage, auth.OfficeWide) {
		return Room{}, s.meetings.Refused(ctx, a, "meeting.room.save", RoomCollection+"/"+id, problem.Forbidden())
	}
	if _, err := seating.Arrange(in.Layout, nil, seating.Options{}); err != nil {
		return Room{}, err // the layout's own checks, fields named layout.…
	}
	if in.Layout.RostrumSeats()+in.Layout.AudienceSeats() == 0 {
		return Room{}, problem.Invalid(problem.Field("layout", "会议室至少要有1个座位", "a room needs a seat"))
	}
	version := int64(0)
	if id != "" {
		_, v, err := store.Load[Room](ctx, s.d.Store, RoomCollection, id)
		switch {
		case err == nil:
			version = v
		case !errors.Is(err, store.ErrNotFound):
			return Room{}, err
		}
	} else {
		id = uuid.NewString()
	}
	r := Room{ID: id, Name: strings.TrimSpace(in.Name), Building: strings.TrimSpace(in.Building), Equipment: in.Equipment,
		Layout: in.Layout, Description: strings.TrimSpace(in.Description), Active: in.Active == nil || *in.Active}
	if r.Equipment == nil {
		r.Equipment = []string{}
	}
	r.Capacity = r.Layout.RostrumSeats() + r.Layout.AudienceSeats()
	data, err := store.Encode(r)
	if err != nil {
		return Room{}, err
	}
	_, err = s.d.Trail.Commit(ctx, []store.Write{{Collection: RoomCollection, ID: id, Data: data, ExpectVersion: version}},
		audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "meeting.room.save", Target: RoomCollection + "/" + id,
			Outcome: audit.Success, Details: map[string]any{"name": r.Name, "capacity": r.Capacity, "active": r.Active}})
	if errors.Is(err, store.ErrConflict) {
		return Room{}, problem.Conflict("会议室已被他人修改，请刷新后重试", "the room changed meanwhile")
	}
	return r, err
}

// Package video is video on demand (视频点播): a library of meeting
// recordings, training videos and policy briefings that staff play in the
// browser. A video is one document naming its file in the media store
// (MP4 or WebM, sniffed from the content there), its poster frame (made
// with ffmpeg when the process has it, a drawn placeholder when not), its
// duration, category, speaker and date, who may see it (the whole office,
// departments, named people) and its 密级. One AccessOf decides the list,
// the player, the file and poster downloads (MediaRule) and search
// (SearchProjection).
package video

import (
	"slices"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collection holds one Video per id.
const Collection = "videos"

// Categories of the library, in the order the filters show them.
var Categories = []string{"会议录像", "培训视频", "政策解读", "专题讲座", "宣传片"}

// Audiences: who may see a published video besides its managers.
const (
	AudienceOffice = "office" // 全办：every member of staff
	AudienceCustom = "custom" // the departments and people named
)

// States of a video.
const (
	StatePublished = "published"
	StateWithdrawn = "withdrawn" // 已下架: only its managers see it
)

// Types the library plays (the media store's sniffed type).
const (
	TypeMP4  = "video/mp4"
	TypeWebM = "video/webm"
)

// Video is the stored document; its JSON is the API's too.
type Video struct {
	ID string `json:"id"`
	Details
	// Department owns the video: its managers (video.manage there) edit
	// and withdraw it.
	Department string `json:"department"`
	MediaID    string `json:"mediaId"`
	Type       string `json:"type"`
	Size       int64  `json:"size"`
	PosterID   string `json:"posterId"`
	// Duration in seconds; 0 when unknown (no ffmpeg: DurationNote says so).
	Duration float64 `json:"duration"`
	// PosterNote says why the poster is a placeholder and the duration
	// unknown ("" when ffmpeg made them).
	PosterNote   string    `json:"posterNote,omitempty"`
	State        string    `json:"state"`
	Uploader     string    `json:"uploader"`
	UploaderName string    `json:"uploaderName"`
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

// MediaIDs are the files the video attaches: the video and its poster.
func (v *Video) MediaIDs() []string {
	return slices.DeleteFunc([]string{v.MediaID, v.PosterID}, func(s string) bool { return s == "" })
}

// Details are a video's describing fields, as a manager writes them.
type Details struct {
	Title          string               `json:"title" validate:"required,max=200,nocontrol"`
	Description    string               `json:"description" validate:"max=2000"`
	Category       string               `json:"category" validate:"required,oneof=会议录像 培训视频 政策解读 专题讲座 宣传片"`
	Speaker        string               `json:"speaker" validate:"max=100,nocontrol"`
	RecordedOn     string               `json:"recordedOn" validate:"omitempty,datetime=2006-01-02"`
	Classification classification.Level `json:"classification" validate:"required,classification"`
	Audience       string               `json:"audience" validate:"required,oneof=office custom"`
	Departments    []string             `json:"departments,omitempty" validate:"max=50,dive,orgid"`
	People         []string             `json:"people,omitempty" validate:"max=200,dive,max=64"`
}

// Input is a new video: its details and the uploaded file (POST
// /api/portal/v1/media first), in the uploader's department (the one given,
// or their only one).
type Input struct {
	Details
	MediaID    string `json:"mediaId" validate:"required,max=64"`
	Department string `json:"department" validate:"omitempty,orgid"`
}

// Update is an edit of the details at the version the manager read.
type Update struct {
	Details
	Version int64 `json:"version" validate:"required,min=1"`
}

// View is a video as the API answers it (schema VideoVideoView).
type View = records.View[Video]

// Page is one page of the library (schema VideoVideoPage).
type Page = records.Page[Video]

// AccessOf is who may see a video: its 密级, and as readers its managers
// (video.manage in its department or office-wide) and its uploader
// always, and while it is published its audience — every member of staff,
// or the departments' members and the people named.
func AccessOf(v *Video) auth.Access {
	readers := []string{auth.User(v.Uploader), auth.Holder(auth.PermVideoManage, v.Department),
		auth.Holder(auth.PermVideoManage, auth.OfficeWide)}
	if v.State == StatePublished {
		if v.Audience == AudienceOffice {
			readers = append(readers, auth.Staff)
		} else {
			for _, d := range v.Departments {
				readers = append(readers, auth.Member(d))
			}
			for _, u := range v.People {
				readers = append(readers, auth.User(u))
			}
		}
	}
	return auth.Access{Classification: v.Classification, Readers: readers}
}

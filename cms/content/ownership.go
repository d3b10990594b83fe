package content

import (
	"net/http"

	"zhengwu/cms/channel"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Channel ownership. A channel belongs to a department or to the whole
// office (channel.Channel.Department). Writing a document (creating,
// editing, submitting it) needs portal.item.edit in the document's own
// department, and in the channel's department unless the channel is
// office-wide. Imports from the gateway are not bound by it: the office
// decided their channel.

// mayEdit checks that p may edit, and submit, r: portal.item.edit in the
// document's department and in its channel's.
func (s *Service) mayEdit(p *auth.Principal, r *record) error {
	if !p.Can(PermEdit, r.Department) {
		return problem.Forbidden()
	}
	c, ok := s.channels.Get(r.Channel)
	if !ok {
		c = channel.Channel{Key: r.Channel} // gone from the tree: office-wide editors only
	}
	return s.mayWriteIn(p, c)
}

// mayWriteIn checks the channel's ownership: a department's channel takes
// documents from editors of that department (or office-wide editors); an
// office-wide channel from any editor (who also needs the permission in
// the document's own department, checked by the caller).
func (s *Service) mayWriteIn(p *auth.Principal, c channel.Channel) error {
	if c.IsOfficeWide() || p.Can(PermEdit, c.Department) {
		return nil
	}
	name := c.Name
	if name == "" {
		name = c.Key
	}
	return problem.New(http.StatusForbidden, CodeChannelNotOwned,
		"栏目“"+name+"”由其他处室负责，您没有在该栏目编辑信息的权限",
		"the channel "+c.Key+" belongs to another department; you may not write in it").With("channel", c.Key)
}

// CodeChannelNotOwned refuses writing in another department's channel.
const CodeChannelNotOwned = "channel_not_owned"

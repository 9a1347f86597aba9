#pragma once
// Chat with its hooks (SPEC §4.3, §5.4): the room changes and messages that clients (verbs)
// and plugins (host services) make, each running the hooks of the current ActionSet before
// the change. The RoomRegistry stores membership; this decides whether a change happens.
//
// Problems carry the verb's words ("room does not exist", ...) or the denying hook's
// message.

#include <cstdint>
#include <memory>
#include <string_view>

#include "actions/action_set.hpp"
#include "connections/peer.hpp"
#include "rooms/room_registry.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost::chat {

// The room must exist and not hold `peer`; then the join hooks; then the join.
Result<> join(RoomRegistry& rooms, const ActionSet& set, const std::shared_ptr<Peer>& peer,
              std::string_view room, std::int64_t now_ms);

// `peer` must be in the room; then the leave hooks; then the leave.
Result<> leave(RoomRegistry& rooms, const ActionSet& set, Peer& peer, std::string_view room);

// The connection is closing: the leave hooks for each of its rooms (a deny cannot keep it
// in), then it leaves them all, then the close hooks with `reason`.
void close(RoomRegistry& rooms, const ActionSet& set, Peer& peer, std::string_view reason);

// The connection is open (its welcome line is queued): the open hooks.
void open(const ActionSet& set, Peer& peer);

// A client says `message` in `room` (its membership checked): the say hooks (deny or
// rewrite), then delivery to every member.
Result<> say(RoomRegistry& rooms, const ActionSet& set, Peer& sender, std::string_view room,
             std::string_view message, std::int64_t now_ms);

// The checks and say hooks of say() without the delivery: the message to deliver (a hook
// may have rewritten it). For the cluster, which delivers when the message comes back.
Result<std::string> approve_say(RoomRegistry& rooms, const ActionSet& set, Peer& sender, std::string_view room,
                                std::string_view message);

// Delivers `message` from `from` (a connection id, or 0 for a plugin) to every member of
// `room`, each through the deliver hooks (drop or rewrite per recipient). A not_found
// Problem when there is no such room.
Result<> deliver(RoomRegistry& rooms, const ActionSet& set, std::string_view room, std::string_view message,
                 const Json& from, std::int64_t now_ms);

// {"id","joinedAt"} for roomView, with the fields the member hooks add.
Json member_record(const ActionSet& set, std::string_view room, const RoomRegistry::Member& member);

}  // namespace actionhost::chat

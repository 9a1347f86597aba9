// room_notices: tells a room's members when someone joins or leaves it, as actionhero's own
// chat tests do from their join and leave callbacks.
//
// The join hook runs before the connection is in the room, so the members already there
// hear "I have entered the room: ID" and the joiner does not; the leave hook runs before it
// leaves, so everyone there (the leaver too) hears "I have left the room: ID". A plugin's
// broadcast has "from": 0.
#include <actionhost/sdk.hpp>

namespace sdk = actionhost::sdk;

ACTIONHOST_PLUGIN("roomNotices", "1.0.0") {
  plugin.on_join([](const sdk::RoomChange& change) {
    sdk::chat::broadcast(change.room, "I have entered the room: " + change.connection.id());
  });
  plugin.on_leave([](const sdk::RoomChange& change) {
    sdk::chat::broadcast(change.room, "I have left the room: " + change.connection.id());
  });
}

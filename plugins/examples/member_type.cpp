// member_type: adds custom data to each member of a room in roomView, as actionhero's
// chatRoom memberData does: every member also has "type": "socket".
#include <actionhost/sdk.hpp>

namespace sdk = actionhost::sdk;

ACTIONHOST_PLUGIN("memberType", "1.0.0") {
  plugin.on_member([](sdk::MemberRecord& record) { record.fields["type"] = "socket"; });
}

'use strict'
// Test-only action for tests/interop_cluster: api.chatRoom.addMember for a connection this
// actionhero server does not hold, which actionhero 20 asks the cluster to do (a `do` RPC
// on the Redis channel, answered by the server holding the connection).
const ActionHero = require('actionhero')

module.exports = class InteropAddMember extends ActionHero.Action {
  constructor () {
    super()
    this.name = 'interopAddMember'
    this.description = 'api.chatRoom.addMember(connectionId, room) (interop test)'
    this.inputs = {
      connectionId: { required: true },
      room: { required: true }
    }
  }

  async run ({ params, response }) {
    const { chatRoom } = ActionHero.api
    response.added = await chatRoom.addMember(params.connectionId, params.room)
  }
}

'use strict'
// Test-only action for tests/interop_cluster: actionhero 20's own cache (api.cache), so that
// a key saved by actionhero is loaded by actionhost and the other way round.
const ActionHero = require('actionhero')

module.exports = class InteropCache extends ActionHero.Action {
  constructor () {
    super()
    this.name = 'interopCache'
    this.description = 'save or load one key of api.cache (interop test)'
    this.inputs = {
      op: { required: true },
      key: { required: true },
      value: { required: false },
      expireMs: { required: false }
    }
  }

  async run ({ params, response }) {
    const { cache } = ActionHero.api
    if (params.op === 'save') {
      const expireMs = params.expireMs === undefined ? null : Number(params.expireMs)
      response.saved = await cache.save(params.key, params.value, expireMs)
    } else if (params.op === 'load') {
      response.loaded = await cache.load(params.key)
    } else {
      throw new Error(`unknown op ${params.op}`)
    }
  }
}

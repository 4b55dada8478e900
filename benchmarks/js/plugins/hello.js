'use strict'

// The benchmark workload for the JavaScript kit: the same as the Java BenchHello plugin.
class KongPlugin {
  constructor(config) {
    this.config = config
  }

  async access(kong) {
    const host = (await kong.request.getHeader('host')) || 'unknown'
    await kong.response.setHeader('x-hello-from-java', `Java says ${this.config.message} to ${host}`)
  }
}

module.exports = {
  Plugin: KongPlugin,
  Schema: [{ message: { type: 'string', default: 'hello' } }],
  Version: '0.1.0',
  Priority: 1000,
}

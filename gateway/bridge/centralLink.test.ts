import { describe, expect, it } from 'vitest'
import { withoutCredentials } from './centralLink.js'

describe('the central broker URL in the logs', () => {
  it('keeps a password written into the URL out, and the rest as it was', () => {
    expect(withoutCredentials('mqtts://store-0421:s3cret@mqtt.example:8883')).toBe(
      'mqtts://store-0421:***@mqtt.example:8883',
    )
    expect(withoutCredentials('mqtts://mqtt.example:8883')).toBe('mqtts://mqtt.example:8883')
    expect(withoutCredentials('mqtts://store-0421@mqtt.example')).toBe('mqtts://store-0421@mqtt.example')
  })
})

import { describe, expect, it } from 'vitest'
import {
  gpiogetArgs,
  gpiomonArgs,
  gpiosetArgs,
  parseGpiodVersion,
  parseGpiogetOutput,
  parseGpiomonLine,
} from './gpiodTools.js'

describe('libgpiod tool syntax (Debian 12 ships 1.6; 2.x moved the chip to --chip)', () => {
  it('reads the major version from either generation of --version output', () => {
    expect(parseGpiodVersion('gpiomon (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski')).toBe(1)
    expect(parseGpiodVersion('gpiomon (libgpiod) v2.0.2\n')).toBe(2)
    expect(parseGpiodVersion('gpiomon v2.1 (libgpiod v2.1)\n')).toBe(2)
    expect(parseGpiodVersion('something else')).toBeUndefined()
  })

  it('1.6 monitors with the chip first, line-buffered, bias as a long option', () => {
    expect(gpiomonArgs(1, 'gpiochip0', 17, 'pull-up')).toEqual([
      '--line-buffered',
      '--format=%e %o',
      '--bias=pull-up',
      'gpiochip0',
      '17',
    ])
    expect(gpiomonArgs(1, 'gpiochip0', 17, 'as-is')).toEqual(['--line-buffered', '--format=%e %o', 'gpiochip0', '17'])
  })

  it('2.x monitors with --chip and no line-buffered flag', () => {
    expect(gpiomonArgs(2, 'gpiochip0', 17, 'pull-down')).toEqual([
      '--format=%e %o',
      '--bias=pull-down',
      '--chip=gpiochip0',
      '17',
    ])
  })

  it('gpioget and gpioset for both generations', () => {
    expect(gpiogetArgs(1, 'gpiochip0', 22, 'pull-up')).toEqual(['--bias=pull-up', 'gpiochip0', '22'])
    expect(gpiogetArgs(2, 'gpiochip0', 22, 'as-is')).toEqual(['--numeric', '--chip=gpiochip0', '22'])
    expect(gpiosetArgs(1, 'gpiochip0', 24, true)).toEqual(['--mode=signal', 'gpiochip0', '24=1'])
    expect(gpiosetArgs(2, 'gpiochip4', 24, false)).toEqual(['--chip=gpiochip4', '24=0'])
  })

  it('parses gpiomon events in our format and in both default formats', () => {
    expect(parseGpiomonLine('1 17')).toEqual({ rising: true, offset: 17 })
    expect(parseGpiomonLine('0 17')).toEqual({ rising: false, offset: 17 }) // 1.x falling
    expect(parseGpiomonLine('2 17')).toEqual({ rising: false, offset: 17 }) // 2.x falling
    expect(parseGpiomonLine('event:  RISING EDGE offset: 17 timestamp: [    1234.567890123]')).toEqual({
      rising: true,
      offset: 17,
    })
    expect(parseGpiomonLine('event: FALLING EDGE offset: 4 timestamp: [    1234.567890123]')).toEqual({
      rising: false,
      offset: 4,
    })
    expect(parseGpiomonLine('12.345678901\tfalling\t17')).toEqual({ rising: false, offset: 17 })
    expect(parseGpiomonLine('gpiomon: unable to request lines')).toBeUndefined()
    expect(parseGpiomonLine('')).toBeUndefined()
  })

  it('parses gpioget answers', () => {
    expect(parseGpiogetOutput('1\n')).toBe(true)
    expect(parseGpiogetOutput('0\n')).toBe(false)
    expect(parseGpiogetOutput('"17"=active\n')).toBeUndefined()
  })
})

import { isAbsolute, resolve } from 'node:path'
import type { Static } from '@sinclair/typebox'
import type { StoreSchema } from '../config/schema.js'
import type { TicketsConfig } from '../config/ticketSchema.js'
import type { BusinessCalendar } from './businessCalendar.js'
import { createCnWorkdaysCalendar } from './cnWorkdaysCalendar.js'
import { loadHolidayOverrides } from './loadHolidayOverrides.js'
import { createStoreCalendar } from './storeCalendar.js'

export interface CreateCalendarOptions {
  /** cn-workdays: called once per year without shipped holiday data (see `createCnWorkdaysCalendar`). */
  onUnknownYear?: (year: number) => void
  /** Directory a relative `tickets.holidayOverrides` path is resolved against (the config file's); default the cwd. */
  configDir?: string
}

type StoreHours = Pick<Static<typeof StoreSchema>, 'timeZone' | 'businessHours' | 'specialDays'>
type CalendarSettings = Pick<TicketsConfig, 'calendar' | 'workdayHours' | 'businessDayHours' | 'holidayOverrides'>

/**
 * The business calendar the SLA clock runs on (docs/requirements.md#business-calendars), chosen by
 * `tickets.calendar`: `store` (the store's opening hours, the default) or
 * `cn-workdays`. Reads the holiday-overrides file, if any, synchronously.
 */
export function createCalendar(
  store: StoreHours,
  tickets: CalendarSettings,
  options: CreateCalendarOptions = {},
): BusinessCalendar {
  const businessDayHours = tickets.businessDayHours === undefined ? {} : { businessDayHours: tickets.businessDayHours }
  switch (tickets.calendar) {
    case 'store':
      return createStoreCalendar({
        timeZone: store.timeZone,
        weekly: store.businessHours,
        specialDays: store.specialDays,
        ...businessDayHours,
      })
    case 'cn-workdays': {
      const file = tickets.holidayOverrides
      return createCnWorkdaysCalendar({
        timeZone: store.timeZone,
        workdayHours: tickets.workdayHours,
        ...businessDayHours,
        ...(file === undefined ? {} : { overrides: loadHolidayOverrides(resolveFrom(options.configDir, file)) }),
        ...(options.onUnknownYear === undefined ? {} : { onUnknownYear: options.onUnknownYear }),
      })
    }
  }
}

function resolveFrom(dir: string | undefined, file: string): string {
  return isAbsolute(file) || dir === undefined ? file : resolve(dir, file)
}

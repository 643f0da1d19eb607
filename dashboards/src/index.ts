import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { alarmHistory } from './alarmHistory.js'
import { deviceHealth } from './deviceHealth.js'
import { gatewayHealth } from './gatewayHealth.js'
import { storeOverview } from './storeOverview.js'
import { terminalsSla } from './terminalsSla.js'

/** Each dashboard and the file in dashboards/ it is generated into (the provider loads every `*.json` there). */
export const DASHBOARDS: readonly { readonly file: string; readonly build: () => dashboard.DashboardBuilder }[] = [
  { file: 'alarm-history.json', build: alarmHistory },
  { file: 'device-health.json', build: deviceHealth },
  { file: 'gateway-health.json', build: gatewayHealth },
  { file: 'store-overview.json', build: storeOverview },
  { file: 'terminals-sla.json', build: terminalsSla },
]

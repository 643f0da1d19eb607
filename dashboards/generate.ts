import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderDashboards } from './src/render.js'

/**
 * Writes dashboards/*.json from the TypeScript in dashboards/src/ (`npm run generate:dashboards`,
 * run from the repository root). The JSON files are committed next to their source: Grafana's
 * file provider reads them as they are (dashboards/provisioning/dashboards/storeguard.yaml),
 * and test/dashboardsGenerated.test.ts fails when they differ from what this writes.
 */
const dir = process.argv[2] ?? 'dashboards'
for (const { file, json } of renderDashboards()) {
  writeFileSync(join(dir, file), json)
  console.log(`wrote ${join(dir, file)}`)
}

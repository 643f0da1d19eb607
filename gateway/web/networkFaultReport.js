// @ts-check
/**
 * Reporting a suspected base-station / network fault (docs/requirements.md#network-fault): when many
 * customers come in at once with the same problem with their phones, staff send the centre's machine
 * room the common symptoms, the area where phones fail, how many customers, their numbers and phone
 * models. The gateway queues it for the centre, so a report made while the link is down still arrives.
 */

import { roleAtLeast } from './alarmView.js'
import { h, setText } from './dom.js'
import { pick } from './i18n.js'
import { callApi } from './opsApi.js'
import { createOpsForm, field, onSubmit } from './opsForm.js'

/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/** @typedef {import('./opsPanels.js').OpsContext} OpsContext */

/** @type {(zh: string, en: string) => LocalizedText} */
const t = (zh, en) => ({ 'zh-CN': zh, en })

const TEXT = {
  heading: t('基站故障上报', 'Network fault report'),
  open: t('客户集中反映手机无法使用？上报机房', 'Many customers with phones not working? Tell the centre'),
  symptoms: t(
    '共同表现（如：有信号但无法通话、无法上网）',
    'What they have in common (e.g. signal but no calls, no data)',
  ),
  area: t('不能使用的地理范围', 'Where phones do not work'),
  customers: t('反映的客户人数', 'Customers who came in'),
  numbers: t('客户号码（每行一个，可选）', 'Customer numbers (one per line, optional)'),
  models: t('手机机型（可选）', 'Phone models (optional)'),
  send: t('上报机房', 'Report to the centre'),
  required: t('请填写共同表现、范围和人数', 'Fill in what they have in common, where, and how many'),
  queued: t('已上报，正在发送到机房', 'Reported: on its way to the centre'),
  local: t('已记录；本网关未连接机房，请电话报告', 'Recorded, but this gateway has no link to the centre: phone it in'),
}

export function createNetworkFaultReport() {
  const heading = h('h2', { id: 'ops-network-heading' })
  const symptoms = h('textarea', { name: 'symptoms', rows: 2, maxlength: 500, 'data-testid': 'ops-network-symptoms' })
  const area = h('input', { name: 'area', maxlength: 120, 'data-testid': 'ops-network-area' })
  const customers = h('input', {
    type: 'number',
    name: 'customers',
    min: 1,
    max: 10000,
    inputmode: 'numeric',
    'data-testid': 'ops-network-customers',
  })
  const numbers = h('textarea', { name: 'numbers', rows: 2, 'data-testid': 'ops-network-numbers' })
  const models = h('input', { name: 'phoneModels', maxlength: 200, 'data-testid': 'ops-network-models' })
  const fields = {
    symptoms: field('ops-network-symptoms', symptoms),
    area: field('ops-network-area', area),
    customers: field('ops-network-customers', customers),
    numbers: field('ops-network-numbers', numbers),
    models: field('ops-network-models', models),
  }
  const parts = createOpsForm(
    {
      form: 'ops-network-form',
      submit: 'ops-network-send',
      status: 'ops-network-status',
      compose: 'ops-network-compose',
    },
    Object.values(fields).map((f) => f.row),
  )
  const { submit, status, summary, compose } = parts
  const element = h(
    'section',
    { class: 'panel ops-panel', 'data-testid': 'ops-network', 'aria-labelledby': 'ops-network-heading' },
    heading,
    compose,
  )
  /** @type {OpsContext | null} */
  let ctx = null
  const count = () => Number(customers.value)

  onSubmit(parts, {
    context: () => ctx,
    check: () =>
      !symptoms.value.trim() || !area.value.trim() || !Number.isInteger(count()) || count() < 1 ? TEXT.required : null,
    send: async () => {
      // one number per line (or comma): spaces and dashes inside one, as in "138 0013 8000", are kept together
      const list = numbers.value
        .split(/[\n,，;；]+/)
        .map((n) => n.replace(/[\s-]/g, ''))
        .filter(Boolean)
      const body = {
        symptoms: symptoms.value,
        area: area.value,
        customers: count(),
        ...(list.length > 0 ? { numbers: list } : {}),
        ...(models.value.trim() ? { phoneModels: models.value } : {}),
      }
      const answer = /** @type {{ central: string }} */ (
        await callApi('POST', '/api/events/network-fault/reports', body)
      )
      for (const control of [symptoms, area, customers, numbers, models]) control.value = ''
      return answer.central === 'queued' ? { ok: true, text: TEXT.queued } : { ok: false, text: TEXT.local }
    },
  })

  /** @param {OpsContext} next */
  function render(next) {
    ctx = next
    const { lang } = next
    // staff and up report; a viewer's console has no use for the panel
    element.hidden = !roleAtLeast(next.role, 'staff')
    setText(heading, pick(TEXT.heading, lang))
    setText(summary, pick(TEXT.open, lang))
    for (const [name, text] of /** @type {const} */ ([
      ['symptoms', TEXT.symptoms],
      ['area', TEXT.area],
      ['customers', TEXT.customers],
      ['numbers', TEXT.numbers],
      ['models', TEXT.models],
    ]))
      setText(fields[name].caption, pick(text, lang))
    setText(submit, pick(TEXT.send, lang))
  }

  /** At sign-out: nothing typed stays for the next user. */
  function clear() {
    ctx = null
    for (const control of [symptoms, area, customers, numbers, models]) control.value = ''
    setText(status, '')
  }

  return { element, render, clear }
}

/**
 * The operators a store may belong to, and their customer hotlines (docs/requirements.md#store-texts).
 * `store.operator` names one of these, or gives a hotline number itself.
 */
export const OPERATOR_HOTLINES = {
  mobile: '10086',
  unicom: '10010',
  telecom: '10000',
} as const

export type Operator = keyof typeof OPERATOR_HOTLINES

/** The hotline customer and staff texts name: the operator's, or the number configured in its place. */
export function hotlineOf(operator: string): string {
  return Object.hasOwn(OPERATOR_HOTLINES, operator) ? OPERATOR_HOTLINES[operator as Operator] : operator
}

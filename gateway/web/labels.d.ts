/**
 * The types of `/assets/labels.js`, which has no file: the gateway writes it
 * from gateway/channels/labels.ts when it starts (WEB_LABELS in
 * gateway/http/webAssets.ts lists the tables). Taken from labels.ts, so a
 * label added or renamed there reaches the browser code's type check at once.
 */
import type * as Labels from '../channels/labels.js'

export declare const KIND_LABELS: typeof Labels.KIND_LABELS
export declare const SEVERITY_LABELS: typeof Labels.SEVERITY_LABELS
export declare const STATE_LABELS: typeof Labels.STATE_LABELS
export declare const TICKET_STATUS_LABELS: typeof Labels.TICKET_STATUS_LABELS
export declare const ROLE_LABELS: typeof Labels.ROLE_LABELS
export declare const DEVICE_TYPE_LABELS: typeof Labels.DEVICE_TYPE_LABELS
export declare const DEVICE_STATE_LABELS: typeof Labels.DEVICE_STATE_LABELS
export declare const FAULT_CODE_LABELS: typeof Labels.FAULT_CODE_LABELS
export declare const CONDITION_LABELS: typeof Labels.CONDITION_LABELS
export declare const METRIC_LABELS: typeof Labels.METRIC_LABELS
export declare const TEXT: typeof Labels.TEXT

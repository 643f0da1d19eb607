import { hotlineOf } from '../../gateway/core/operators.js'
import { createTextBook } from '../../gateway/core/texts.js'
import { TEXT_TEMPLATES } from '../../rules/checklists/texts.js'

/** The shipped wording as a store of the default operator (China Mobile, 10086) renders it. */
export const shippedTexts = createTextBook(TEXT_TEMPLATES, { hotline: hotlineOf('mobile'), overrides: {} })

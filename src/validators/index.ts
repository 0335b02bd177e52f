// Pure validation of one iteration's result, for the Execution controller. See docs/validators.md.
export { runValidator, runValidators, type ChainResult } from "./chain.ts";
export { combine, votePasses, type Consensus, type Strategy, type Thresholds, type Vote } from "./consensus.ts";
export { DEFAULT_JUDGE_TIMEOUT_MS } from "./judge-call.ts";
export { MAX_REGEX_INPUT } from "./regex.ts";
export { MAX_PREVIOUS_OUTPUT, MAX_REFINEMENT_PROMPT, refinementPrompt } from "./refinement.ts";
export { MAX_FEEDBACK } from "./text.ts";
export type {
  IterationResult, Judge, JudgeRequest, JudgeVerdict, ValidationContext, Validator, ValidatorResult, ValidatorType,
} from "./types.ts";

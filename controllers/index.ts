/**
 * The controllers handed to the manager. Each folder is one kind's controller; they never
 * import each other. Factories give every manager its own specs (their map functions close over
 * that manager's caches); `controllers` is the default set.
 */
import type { ControllerSpec } from "../src/runtime/types.ts";
import { agentController, type AgentControllerOptions } from "./agent/index.ts";
import { executionController, type ExecutionControllerOptions } from "./execution/index.ts";
import { nodeConfigController } from "./nodeconfig/index.ts";

export interface ControllersOptions {
  readonly agent?: AgentControllerOptions;
  readonly execution?: ExecutionControllerOptions;
}

export function createControllers(options: ControllersOptions = {}): ControllerSpec[] {
  return [nodeConfigController(), agentController(options.agent), executionController(options.execution)];
}

export const controllers: ControllerSpec[] = createControllers();

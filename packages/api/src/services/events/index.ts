// Job events: the LISTEN/NOTIFY event bus.
export {
  createEventBus,
  parseSignal,
  JOB_EVENTS_CHANNEL,
  type EventBusOptions,
  type EyeballEventBus,
  type JobEventSignal,
} from "./event-bus";

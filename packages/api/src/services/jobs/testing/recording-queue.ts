// A queue for service tests: records what is sent so tests can run the handlers themselves, with no timers.
import { type JsonObject, type Queue, type QueueSendOptions } from "../../types";

export interface SentMessage {
  name: string;
  data: JsonObject;
  options: QueueSendOptions | undefined;
}

export interface RecordingQueue extends Queue {
  readonly sent: SentMessage[];
  /** Handlers registered with `work`, by queue name. */
  readonly handlers: Map<string, (data: JsonObject) => Promise<void>>;
  /** Removes and returns the recorded messages of one queue (optionally only those matching). */
  take(name: string, match?: (data: JsonObject) => boolean): SentMessage[];
}

export function createRecordingQueue(): RecordingQueue {
  const sent: SentMessage[] = [];
  const handlers = new Map<string, (data: JsonObject) => Promise<void>>();
  return {
    sent,
    handlers,
    send(name, data, options) {
      sent.push({ name, data, options });
      return Promise.resolve(String(sent.length));
    },
    work(name, handler) {
      handlers.set(name, handler);
      return Promise.resolve();
    },
    start() {
      return Promise.resolve();
    },
    stop() {
      return Promise.resolve();
    },
    take(name, match) {
      const taken: SentMessage[] = [];
      for (let i = sent.length - 1; i >= 0; i--) {
        const message = sent[i];
        if (message && message.name === name && (!match || match(message.data))) {
          taken.unshift(message);
          sent.splice(i, 1);
        }
      }
      return taken;
    },
  };
}

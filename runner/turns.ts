// Work on one data folder that must not overlap inside a process (two builds writing the same tables,
// two renders swapping the same site folder) takes turns, in call order; other folders run freely.
import { resolve } from "node:path";

export type InTurn = <T>(data: string, task: () => Promise<T>) => Promise<T>;

export function takeTurnsPerFolder(): InTurn {
  const last = new Map<string, Promise<unknown>>();
  return async (data, task) => {
    const key = resolve(data);
    const current = (last.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    last.set(key, current);
    try {
      return await current;
    } finally {
      if (last.get(key) === current) last.delete(key);
    }
  };
}

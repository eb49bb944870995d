// Request fields repeat (a site sees a few hundred user agents, paths, referrers and time zones)
// and deriving from them costs more than the rest of an event. A memo keeps recent answers in
// this process's memory only, and is emptied when full: bounded, at no cost per hit.

/** `derive`, remembering its answers for up to `limit` distinct keys. */
export function boundedMemo<T>(limit: number, derive: (key: string) => T): (key: string) => T {
  const answers = new Map<string, T>();
  return (key) => {
    const known = answers.get(key);
    if (known !== undefined || answers.has(key)) return known as T;
    const answer = derive(key);
    if (answers.size >= limit) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}

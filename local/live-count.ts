// The count the /live page and its shared worker keep between two counts from the server (every
// 5 s): each new event adds to its minute. An event in a minute the list does not have yet (the
// clock has just passed a minute) starts that minute, and the oldest goes, so "this minute" moves
// on at once instead of staying on the minute before until the server's next counts.
export const countEventScript = `function countEvent(minutes, time) {
  const minute = time.slice(0, 16);
  let last = minutes[minutes.length - 1];
  for (let added = 0; last && last.minute.slice(0, 16) < minute && added < 60; added++) {
    last = { minute: new Date(Date.parse(last.minute) + 60000).toISOString(), events: 0 };
    minutes.push(last);
    minutes.shift();
  }
  if (last && last.minute.slice(0, 16) === minute) last.events++;
}`;

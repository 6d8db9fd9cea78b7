/** The signals frontend's contract for tests: a subscriber per channel, called with each message sent to it. */
export function fakeSignals() {
  const subscribers = new Map<string, (m: any) => void>();
  return {
    api: {
      subscribe: (channel: string, onMessage: (m: any) => void) => {
        subscribers.set(channel, onMessage);
        return { unsubscribe: () => subscribers.delete(channel) };
      },
    },
    send: (channel: string, message: any) =>
      subscribers.get(channel)?.(message),
    channels: () => [...subscribers.keys()],
  };
}

// A clock for "12s ago" and countdown texts, ticking only while a component shows one.
import { useEffect, useState } from 'react';

/** useNow returns the current time in ms, refreshed every intervalMs. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

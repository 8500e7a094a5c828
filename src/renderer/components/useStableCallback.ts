// A callback that keeps one identity for the life of a component but always runs the
// latest function it was given, so memoized children are not redrawn for a new
// closure. It is built in a scope of its own on purpose: a closure made inside a
// component keeps that render's whole scope alive (V8 shares one context between
// all closures of a function), and a callback kept from the first render would hold
// the first render's props and data for as long as the component lives.
import { useLayoutEffect, useRef, useState } from 'react';

/** useStableCallback returns a function that never changes and calls the latest `fn`. */
export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  const [stable] = useState(() => stableCaller(latest));
  return stable;
}

function stableCaller<A extends unknown[], R>(latest: { current: (...args: A) => R }): (...args: A) => R {
  return (...args) => latest.current(...args);
}

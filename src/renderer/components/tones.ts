// Which colour a state word gets. Colour is only for state: green settled and
// well, amber on its way or waiting, red broken, grey finished or going away.

import { failingPodStatuses } from '../../shared/podStatus';

/** Tone is the colour family of a state. */
export type Tone = 'ok' | 'warn' | 'bad' | 'busy' | 'muted';


const waitingPodWords = new Set(['Pending', 'ContainerCreating', 'PodInitializing', 'SchedulingGated']);

/**
 * podStatusTone colours a pod STATUS word as kubectl prints it: Running green,
 * Pending and ContainerCreating amber, CrashLoopBackOff and other failures red,
 * Completed and Terminating grey.
 */
export function podStatusTone(status: string): Tone {
  if (status === 'Running') return 'ok';
  if (status === 'Completed' || status === 'Succeeded') return 'muted';
  if (status === 'Terminating') return 'muted';
  if (waitingPodWords.has(status)) return 'warn';
  if (status.startsWith('Init:')) {
    const rest = status.slice(5);
    return /^\d+\/\d+$/.test(rest) ? 'warn' : 'bad';
  }
  if ((failingPodStatuses.has(status) || status === 'NotReady') || status.startsWith('Signal:') || status.startsWith('ExitCode:')) return 'bad';
  return 'warn';
}

/** podPhaseTone colours a pod phase (Running, Pending, Succeeded, Failed, Unknown). */
export function podPhaseTone(phase: string): Tone {
  switch (phase) {
    case 'Running':
      return 'ok';
    case 'Pending':
      return 'warn';
    case 'Succeeded':
      return 'muted';
    default:
      return 'bad';
  }
}

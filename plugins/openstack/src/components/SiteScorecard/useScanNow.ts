import { useApi } from '@backstage/core-plugin-api';
import {
  CheckStatus,
  ScanEvent,
  ScanSummary,
} from '@fedstack/plugin-openstack-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { openstackApiRef } from '../../api';

export interface FinishedCheck {
  checkId: string;
  status: CheckStatus;
  message: string;
}

export type ScanNowState =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | {
      phase: 'running';
      scanId: string;
      joined: boolean;
      started: string[];
      finished: FinishedCheck[];
    }
  | { phase: 'finished'; scan: ScanSummary }
  | { phase: 'failed'; stage: 'trigger' | 'watch'; error: Error };

function apply(state: ScanNowState, event: ScanEvent): ScanNowState {
  if (state.phase !== 'running') {
    return state;
  }
  switch (event.type) {
    case 'check-started':
      return state.started.includes(event.checkId)
        ? state
        : { ...state, started: [...state.started, event.checkId] };
    case 'check-finished':
      return {
        ...state,
        started: state.started.includes(event.checkId)
          ? state.started
          : [...state.started, event.checkId],
        finished: [
          ...state.finished,
          {
            checkId: event.checkId,
            status: event.status,
            message: event.message,
          },
        ],
      };
    case 'scan-finished':
      return { phase: 'finished', scan: event.scan };
    default:
      return state;
  }
}

/**
 * Triggers a scan of the site and follows its events; `onDone` runs when the stream ends so the
 * caller reloads the site. Leaving the page stops following (the scan itself carries on).
 */
export function useScanNow(
  namespace: string,
  name: string,
  onDone: () => void,
): { state: ScanNowState; scanNow: () => Promise<void> } {
  const openstackApi = useApi(openstackApiRef);
  const [state, setState] = useState<ScanNowState>({ phase: 'idle' });
  const watching = useRef<AbortController>();
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;

  useEffect(() => () => watching.current?.abort(), []);

  const scanNow = useCallback(async () => {
    watching.current?.abort();
    const controller = new AbortController();
    watching.current = controller;
    setState({ phase: 'starting' });
    let stage: 'trigger' | 'watch' = 'trigger';
    try {
      const { scanId, joined } = await openstackApi.triggerScan(
        namespace,
        name,
      );
      if (controller.signal.aborted) {
        return;
      }
      stage = 'watch';
      setState({ phase: 'running', scanId, joined, started: [], finished: [] });
      await openstackApi.watchScan(
        scanId,
        event => {
          if (!controller.signal.aborted) {
            setState(current => apply(current, event));
          }
        },
        controller.signal,
      );
      if (controller.signal.aborted) {
        return;
      }
      // A stream that ended without scan-finished still leaves results to reload.
      setState(current =>
        current.phase === 'running' ? { phase: 'idle' } : current,
      );
      onDoneRef.current();
    } catch (error) {
      if (!controller.signal.aborted) {
        setState({
          phase: 'failed',
          stage,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      }
    }
  }, [openstackApi, namespace, name]);

  return { state, scanNow };
}

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AwsClients } from './api/aws-clients';
import type { Session } from './api/session';

/** What every page works with once signed in: who, and the clients that sign as them. */
export interface ConsoleContext {
  readonly session: Session;
  readonly clients: AwsClients;
}

export const ConsoleContextProvider = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const context = useContext(ConsoleContextProvider);
  if (!context) throw new Error('useConsole() outside a signed-in console');
  return context;
}

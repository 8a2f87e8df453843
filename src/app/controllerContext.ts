import { createContext, useContext } from 'react';

import type { LabController } from './labController';

/** The controller, for views that start or retry engine work. */
export const ControllerContext = createContext<LabController | null>(null);

/** The app's controller; throws when a view is rendered outside the app shell. */
export function useController(): LabController {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useController: no ControllerContext provider above this view');
  return controller;
}

import { serve } from './serve';

/** `node dist/backend/main.js`: the management API on its configured port (= `hangar-api serve`). */
void serve();

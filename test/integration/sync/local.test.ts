import { describeSyncScenarios } from './scenarios';

describeSyncScenarios('local', async () => ({ env: { HANGAR_RUNTIME: 'local' }, gitHost: '127.0.0.1' }));

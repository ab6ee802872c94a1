// Required by provider texts stored before the state contract: see ../state/contract.ts.
import { handlerOf } from "../state/contract";
export const handler = handlerOf("SynchronizationJobClaim");

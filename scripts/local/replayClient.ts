/**
 * POST /replay on a running Worker. Shared by `npm run replay` and the chaos suite.
 */
import { adminHeaders } from './workerHeaders.ts';

export interface ReplayAnswer {
  replayed: string[];
  parked: string[];
}

export async function postReplay(workerUrl: string, adminToken: string): Promise<ReplayAnswer> {
  const response = await fetch(`${workerUrl.replace(/\/+$/, '')}/replay`, {
    method: 'POST',
    headers: adminHeaders(adminToken),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST /replay answered ${response.status}: ${text}`);
  return JSON.parse(text) as ReplayAnswer;
}

import { config } from '../config.js';

// STUB — replaced by the demo-data work: seeds the embedded database on first start.
export async function seedDemoIfEmpty(): Promise<void> {
  void config;
}

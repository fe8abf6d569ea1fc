import type { GeoDb } from '../enrich/geo-db';
import { fileBatches } from '../pipeline/file-batches';
import {
  type BatchFile,
  type FileReport,
  failedReport,
  ingestFiles,
} from '../pipeline/ingest-file';
import type { SettledFile } from '../pipeline/watch-spool';
import type { Store } from '../store';

export interface WatchIngest {
  store: Store;
  geo: GeoDb;
  bufferBytes: number;
  sensorId: (name: string) => Promise<number>;
  log: (report: FileReport) => void;
}

/**
 * What `ingest --watch` does with the captures the spool watcher hands over. A backlog
 * goes in batches, as a run over the directory does: a sensor's files are merged and
 * committed together, and each batch is reported when done. A stop signal ends the
 * backlog after the batch being ingested. Returns the files to take again later: those
 * not stored for a reason that is not the capture's (the database was down, say).
 */
export function watchIngest(w: WatchIngest) {
  return async (inputs: SettledFile[], stopping: () => boolean): Promise<string[]> => {
    const files: BatchFile[] = [];
    const again: string[] = [];
    for (const input of inputs) {
      try {
        files.push({ ...input, sensorId: await w.sensorId(input.sensor) });
      } catch (err) {
        w.log(failedReport(input, err));
        again.push(input.path);
      }
    }
    for (const [start, end] of fileBatches(files.map((f) => f.size ?? 0))) {
      if (stopping()) {
        console.error(`stopping: ${files.length - start} file(s) left for the next run`);
        break;
      }
      const batch = files.slice(start, end);
      let reports: FileReport[];
      try {
        reports = await ingestFiles(w.store, w.geo, batch, { bufferBytes: w.bufferBytes });
      } catch (err) {
        reports = batch.map((f) => failedReport(f, err));
      }
      for (const report of reports) {
        w.log(report);
        if (report.outcome === 'failed' && report.error === null) again.push(report.path);
      }
    }
    if (again.length > 0) {
      console.error(`${again.length} file(s) not stored: taken again after a wait`);
    }
    return again;
  };
}

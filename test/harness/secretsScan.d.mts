export declare const SECRET_MARKER: string;
export declare const MIN_SECRET_LENGTH: number;
export declare function markedSecret(prefix: string, label: string): string;
export interface KnownSecret {
  name: string;
  value: string;
  /** The one file (absolute) that keeps it by design. */
  home?: string;
}
export type SecretIndex = Map<string, Array<{ secret: KnownSecret; off: number }>>;
export declare function secretIndex(secrets: KnownSecret[]): SecretIndex;
export declare function filesUnder(dir: string, skip?: (dir: string) => boolean): string[];
export declare function secretsIn(bytes: Buffer, anchors: SecretIndex): { marker?: string; secrets: KnownSecret[] };
export declare function scanBytes(where: string, bytes: Buffer, anchors: SecretIndex, file?: string): string[];
export declare function scanTree(root: string, anchors: SecretIndex, o?: { skip?: (dir: string) => boolean }): { files: number; bytes: number; findings: string[] };
export declare function dataDirKeySecrets(dataDir: string): KnownSecret[];

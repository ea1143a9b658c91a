export declare function startRecording(): void;
export declare function isRecording(): boolean;
export declare function recordDataDir(dir: string): void;
export declare function removeDataDir(dir: string | undefined): void;
export declare function recordCapture(label: string, text: () => string): void;
export declare function recorded(): { dataDirs: Array<{ dir: string; remove: boolean }>; captures: Array<{ label: string; text: () => string }> };

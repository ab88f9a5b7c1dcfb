// The part of autocannon's API the store benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    /** Worker threads generating the load (the connections divided among them). */
    workers?: number;
  }
  interface AutocannonResult {
    latency: { p50: number; p99: number };
    requests: { average: number };
    non2xx: number;
    errors: number;
  }
  export default function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
}

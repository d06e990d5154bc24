// The part of proxy-addr (express's own module for X-Forwarded-For) that Accord uses; it ships no types.
declare module "proxy-addr" {
  import type { IncomingMessage } from "node:http";
  /** Whether the hop at `address` (index `i` from the socket outwards) is a trusted proxy. */
  type Trust = (address: string, i: number) => boolean;
  function proxyaddr(req: IncomingMessage, trust: Trust): string;
  namespace proxyaddr {
    /** Compiles addresses, CIDR ranges or names (`loopback`, `linklocal`, `uniquelocal`) into a Trust. */
    function compile(value: string | string[]): Trust;
    /** Every address from the socket outwards, up to the first untrusted hop. */
    function all(req: IncomingMessage, trust?: Trust): string[];
  }
  export = proxyaddr;
}

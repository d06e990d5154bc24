import type { ComponentChildren } from "preact";
import { followLink } from "./router.js";

/** An in-app link: a real `<a href>` (keyboard, middle-click, copy link) that navigates without reloading. */
export function Link(props: { href: string; children: ComponentChildren; class?: string; [data: `data-${string}`]: string }) {
  const { href, children, class: className, ...rest } = props;
  return (
    <a href={href} class={className} onClick={(e) => followLink(e, href)} {...rest}>
      {children}
    </a>
  );
}

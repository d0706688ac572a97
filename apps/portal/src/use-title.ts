// Each screen names the browser tab, so history and tabs read well.
import { useEffect } from "react";

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Eyeball`;
  }, [title]);
}

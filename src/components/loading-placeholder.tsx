import { Skeleton, SkeletonItem } from "@fluentui/react-components";
import type { SkeletonItemProps } from "@fluentui/react-components";

/** A grey placeholder the height of what is loading, named for screen readers ("Loading the program"). */
export function LoadingPlaceholder({ label, size }: { label: string; size: SkeletonItemProps["size"] }) {
  return (
    <Skeleton aria-label={label}>
      <SkeletonItem size={size} />
    </Skeleton>
  );
}

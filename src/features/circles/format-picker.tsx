import { Dropdown, Field, Option, Skeleton, SkeletonItem, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useId } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import type { Format } from "../../lib/api-schemas";
import { scaleSegments } from "../../lib/scale-segments";
import { useFormats } from "./use-circle";

const useStyles = makeStyles({
  segments: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, color: tokens.colorNeutralForeground2 },
});

/**
 * Choose a format (GET /api/formats) and see its agenda, with segment minutes fitted to the
 * session length. Picks the first format (or `fallbackId`) while nothing is chosen.
 */
export function FormatPicker({
  value,
  onChange,
  sessionMinutes,
  error,
  fallbackId,
}: {
  value: string;
  onChange: (formatId: string) => void;
  sessionMinutes?: number;
  error?: string;
  fallbackId?: string;
}) {
  const styles = useStyles();
  const formats = useFormats();
  const segmentsId = useId();
  const initial = formats.data?.find((f) => f.id === fallbackId)?.id ?? formats.data?.[0]?.id;
  useEffect(() => {
    if (!value && initial) onChange(initial);
  }, [value, initial, onChange]);
  if (formats.isPending) {
    return (
      <Skeleton aria-label="Loading formats">
        <SkeletonItem size={32} />
      </Skeleton>
    );
  }
  if (formats.isError) return <ProblemNotice title="We couldn't load the formats." error={formats.error} onRetry={() => void formats.refetch()} />;
  const selected: Format | undefined = formats.data.find((f) => f.id === value);
  const minutes = sessionMinutes ?? selected?.defaultMinutes ?? 0;
  const segments = selected ? scaleSegments(selected.segments, minutes) : [];
  return (
    <>
      <Field label="Format" required validationMessage={error} hint={selected?.description}>
        <Dropdown
          value={selected?.name ?? ""}
          selectedOptions={value ? [value] : []}
          onOptionSelect={(_, data) => data.optionValue && onChange(data.optionValue)}
          aria-describedby={segments.length > 0 ? segmentsId : undefined}
        >
          {formats.data.map((format) => (
            <Option key={format.id} value={format.id} text={format.name}>
              {`${format.name} (${format.defaultMinutes} min)`}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {segments.length > 0 && (
        <ol className={styles.segments} id={segmentsId} aria-label={`Agenda of ${selected?.name ?? "the format"}`}>
          {segments.map((segment) => (
            <li key={segment.id}>
              <Text size={200}>{`${segment.name} · ${segment.minutes} min`}</Text>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/**
 * A form that sends one written text (an answer to a rectification order or a report, the reason
 * for refusing an amendment or a venue's request): a required text with its line breaks kept,
 * checked before anything is sent, and its failure shown in `error`.
 */
import { el } from "./dom.ts";
import type { Bi } from "./i18n.ts";
import { button, clearRegion, onSubmit, setFieldError, textField } from "./ui.ts";

export function answerForm(options: {
  /** The text field's id. */
  readonly id: string;
  readonly label: Bi;
  /** Marks the submit button (a data-* attribute and its value) for the item it answers. */
  readonly mark: readonly [string, string];
  readonly error: HTMLElement;
  readonly send: (answer: string) => Promise<void>;
  /** What the field says under it, the button's words and attributes, and the empty-field message. */
  readonly hint?: Bi;
  readonly submit?: Bi;
  readonly submitAttributes?: Readonly<Record<string, string>>;
  readonly missing?: Bi;
  readonly formClass?: string;
}): HTMLFormElement {
  const form = el("form", { class: options.formClass ?? "answer-form" });
  const answer = textField(options.id, options.label, {
    required: true,
    multiline: true,
    ...(options.hint ? { hint: options.hint } : {}),
  });
  const submit = button(options.submit ?? { en: "Send the answer", zh: "提交答复" }, {
    ...options.submitAttributes,
    [options.mark[0]]: options.mark[1],
    "aria-describedby": options.error.id,
  });
  submit.type = "submit";
  form.append(answer.wrapper, options.error, submit);
  onSubmit(form, async () => {
    clearRegion(options.error);
    const text = answer.input.value.replace(/\r\n?/g, "\n").trim();
    if (text === "") {
      setFieldError(
        answer.input,
        options.missing ?? { en: "Write your answer.", zh: "请填写答复。" },
      );
      answer.input.focus();
      return;
    }
    setFieldError(answer.input, null);
    await options.send(text);
  });
  return form;
}

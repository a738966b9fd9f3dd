/**
 * A form that sends one written answer (to a rectification order, to a report): a required text
 * with its line breaks kept, checked before anything is sent, and its failure shown in `error`.
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
}): HTMLFormElement {
  const form = el("form", { class: "answer-form" });
  const answer = textField(options.id, options.label, { required: true, multiline: true });
  const submit = button(
    { en: "Send the answer", zh: "提交答复" },
    { [options.mark[0]]: options.mark[1], "aria-describedby": options.error.id },
  );
  submit.type = "submit";
  form.append(answer.wrapper, options.error, submit);
  onSubmit(form, async () => {
    clearRegion(options.error);
    const text = answer.input.value.replace(/\r\n?/g, "\n").trim();
    if (text === "") {
      setFieldError(answer.input, { en: "Write your answer.", zh: "请填写答复。" });
      answer.input.focus();
      return;
    }
    setFieldError(answer.input, null);
    await options.send(text);
  });
  return form;
}

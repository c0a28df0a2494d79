/**
 * Text messages (one-time sign-in codes): the seam. Locally the message goes to the server's
 * log, where the developer reads the code. On AWS an implementation of `SmsSender` over Amazon
 * SNS (Publish to a PhoneNumber) — or a Chinese SMS provider, which Chinese numbers need — takes
 * its place; none is built yet, so a deployment has no SMS sender and its schools confirm
 * invitations with the last four digits of the phone number.
 */
import { phoneHint } from '@kehou/domain';
import { log, processObservers } from '@kehou/http';

export interface SmsSender {
  send(to: string, text: string): Promise<void>;
}

export interface SmsMessage {
  to: string;
  text: string;
}
const sent = processObservers<SmsMessage>('smsObservers');

/** Calls `listener` with every message the logging sender "sends" in this process (tests read codes so); returns the function that stops it. */
export const observeSms = sent.observe;

/** Sends nothing: logs the message (the number masked). */
export const loggingSmsSender: SmsSender = {
  send: async (to, text) => {
    log('info', 'sms (local: logged, not sent)', { to: phoneHint(to, 'sms-code'), text });
    sent.tell({ to, text });
  },
};

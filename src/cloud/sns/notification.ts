/**
 * What SNS delivers: the JSON notification an SQS subscriber receives (unless raw delivery is on)
 * and the event record a Lambda subscriber is invoked with. Both are signed as SignatureVersion 1:
 * SHA1withRSA over the canonical `Key\nValue\n` string of the notification's fields.
 */
import { createPublicKey, createSign, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface SnsMessageAttribute {
  readonly Type: string;
  readonly Value: string;
}

export interface Notification {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
  /** ISO 8601 with milliseconds, e.g. `2026-01-01T00:00:00.000Z`. */
  readonly timestamp: string;
  readonly messageAttributes: Readonly<Record<string, SnsMessageAttribute>>;
  /** FIFO topics: the message's sequence number. */
  readonly sequenceNumber?: string;
}

export interface SignedUrls {
  readonly signingCertUrl: string;
  readonly unsubscribeUrl: string;
}

/** One key per process: making an RSA key takes tens of milliseconds. */
let processKey: KeyObject | undefined;

function signingKey(): KeyObject {
  processKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return processKey;
}

/** Signs notifications with a key made for this process; its certificate is not published locally,
 *  but the public key is available to check signatures with. */
export class NotificationSigner {
  sign(notification: Notification): string {
    return createSign('RSA-SHA1').update(canonicalString(notification)).sign(signingKey(), 'base64');
  }

  publicKeyPem(): string {
    return createPublicKey(signingKey()).export({ type: 'spki', format: 'pem' }).toString();
  }
}

/** The string SNS signs for a Notification (SignatureVersion 1): fields in this order, Subject only when set. */
export function canonicalString(notification: Notification): string {
  const fields: Array<[string, string]> = [
    ['Message', notification.message],
    ['MessageId', notification.messageId],
    ...(notification.subject !== undefined ? ([['Subject', notification.subject]] as Array<[string, string]>) : []),
    ['Timestamp', notification.timestamp],
    ['TopicArn', notification.topicArn],
    ['Type', 'Notification'],
  ];
  return fields.map(([key, value]) => `${key}\n${value}\n`).join('');
}

/** The body an SQS subscriber without raw delivery receives. */
export function sqsEnvelope(notification: Notification, signature: string, urls: SignedUrls): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: notification.messageId,
    ...(notification.sequenceNumber !== undefined ? { SequenceNumber: notification.sequenceNumber } : {}),
    TopicArn: notification.topicArn,
    ...(notification.subject !== undefined ? { Subject: notification.subject } : {}),
    Message: notification.message,
    Timestamp: notification.timestamp,
    SignatureVersion: '1',
    Signature: signature,
    SigningCertURL: urls.signingCertUrl,
    UnsubscribeURL: urls.unsubscribeUrl,
    ...(Object.keys(notification.messageAttributes).length > 0 ? { MessageAttributes: notification.messageAttributes } : {}),
  });
}

/** The event a Lambda subscriber is invoked with (one record, as SNS sends). */
export function lambdaEvent(notification: Notification, subscriptionArn: string, signature: string, urls: SignedUrls): Record<string, unknown> {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: notification.messageId,
          TopicArn: notification.topicArn,
          Subject: notification.subject ?? null,
          Message: notification.message,
          Timestamp: notification.timestamp,
          SignatureVersion: '1',
          Signature: signature,
          SigningCertUrl: urls.signingCertUrl,
          UnsubscribeUrl: urls.unsubscribeUrl,
          MessageAttributes: notification.messageAttributes,
        },
      },
    ],
  };
}

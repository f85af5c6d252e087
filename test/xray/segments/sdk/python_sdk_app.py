"""
A small program instrumented with the AWS X-Ray SDK for Python, as an application would use it:
the recorder's defaults (centralized sampling rules from the daemon's TCP endpoint, documents over
UDP, both at AWS_XRAY_DAEMON_ADDRESS), a segment with an in_subsegment block and a capture-decorated function
(both local subsegments, namespace "local"), annotations, metadata, a captured exception, and a
patched HTTP call (namespace "remote") to a local server.

Usage: python3 python_sdk_app.py [--print] [--stream]
  --print   write each document the SDK would send to stdout, one per line, instead of sending it
            (used to refresh the corpus in ../fixtures/sdk-corpus).
  --stream  a streaming threshold of 1: completed subsegments are sent on their own, as the SDK
            does for segments with many subsegments.
Without --print, each document is sent by the SDK's own UDP emitter and also echoed to stdout as
{"sent": "<document>"}, so a test can compare what is stored with what was sent byte for byte.
Before recording, waits (at most 10 s) for the sampler to load the daemon's sampling rules, so the
sampling decision is the centralized one.
Prints {"trace_id", "id", "sampled", "rules"} on the last line.
"""
import os
import time
import http.server
import json
import sys
import threading
import urllib.request

from aws_xray_sdk.core import patch, xray_recorder
from aws_xray_sdk.core.emitters.udp_emitter import UDPEmitter


class PrintingEmitter(UDPEmitter):
    def send_entity(self, entity):
        print(entity.serialize(), flush=True)


class EchoingEmitter(UDPEmitter):
    """The SDK's UDP emitter, echoing the exact text of each document it sends."""

    def _send_data(self, data):
        super()._send_data(data)
        print(json.dumps({'sent': data.split('\n', 1)[1]}), flush=True)


def wait_for_rules(deadline_seconds):
    sampler = xray_recorder.sampler
    sampler.start()
    deadline = time.monotonic() + deadline_seconds
    # The rule cache is the sampler's own; it fills when the rule poller's first request answers.
    while not sampler._cache.rules:
        if time.monotonic() > deadline:
            sys.exit('no sampling rules from the daemon at %s within %d s' % (os.environ.get('AWS_XRAY_DAEMON_ADDRESS'), deadline_seconds))
        time.sleep(0.02)
    return [rule.name for rule in sampler._cache.rules]


class Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"ok":true}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    printing = '--print' in sys.argv
    rules = []
    if printing:
        # No daemon to ask for rules: sample everything locally.
        xray_recorder.configure(emitter=PrintingEmitter(), sampling=False)
    else:
        # This SDK version points its emitter at AWS_XRAY_DAEMON_ADDRESS only when configure() is
        # given a daemon_address (the sampler reads the variable itself); the SDK's guide sets one.
        xray_recorder.configure(emitter=EchoingEmitter(), daemon_address=os.environ.get('AWS_XRAY_DAEMON_ADDRESS', '127.0.0.1:2000'))
        rules = wait_for_rules(10)
    xray_recorder.configure(service='python-orders', context_missing='LOG_ERROR')
    if '--stream' in sys.argv:
        xray_recorder.configure(streaming_threshold=1)
    patch(('httplib',))

    server = http.server.HTTPServer(('127.0.0.1', 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = 'http://127.0.0.1:%d/inventory?id=7' % server.server_address[1]

    @xray_recorder.capture('price_order')
    def price_order(order_id):
        xray_recorder.current_subsegment().put_annotation('order_id', order_id)
        return 42.5

    @xray_recorder.capture('charge_card')
    def charge_card():
        raise ValueError('card declined')

    segment = xray_recorder.begin_segment('python-orders')
    segment.put_http_meta('method', 'GET')
    segment.put_http_meta('url', 'https://orders.example.com/orders/7')
    segment.put_annotation('customer', 'alice')
    segment.put_annotation('vip', True)
    segment.put_metadata('request', {'items': [1, 2], 'note': None}, 'orders')
    segment.set_user('alice')
    with xray_recorder.in_subsegment('load_order') as sub:
        sub.put_annotation('rows', 3)
        sub.put_metadata('query', 'SELECT * FROM orders WHERE id = 7')
        urllib.request.urlopen(url).read()
    price_order(7)
    try:
        charge_card()
    except ValueError:
        pass
    segment.put_http_meta('status', 200)
    trace_id, segment_id, sampled = segment.trace_id, segment.id, segment.sampled
    xray_recorder.end_segment()
    server.shutdown()
    print(json.dumps({'trace_id': trace_id, 'id': segment_id, 'sampled': sampled, 'rules': rules}), flush=True)


main()

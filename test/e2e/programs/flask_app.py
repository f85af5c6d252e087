"""
A small Flask app instrumented with the AWS X-Ray SDK for Python's defaults, as its README shows:
XRayMiddleware(app, xray_recorder) and patch_all(); the daemon (UDP for documents, TCP for
centralized sampling rules) at AWS_XRAY_DAEMON_ADDRESS, read by the SDK itself. Routes record
annotations, metadata, an in_subsegment block, a capture-decorated function, an outbound call with
`requests` to a local server (a `remote` subsegment), a boto3 call (an `aws` subsegment: X-Ray's
GetGroups against the local service at XRAY_API_URL) and an exception that escapes a route.

It waits (at most 10 s) for the sampler to load the daemon's rules, drives its routes through
Flask's test client, and prints `RESULT {"traces": {route: trace_id}, "rules": [...]}`.
"""
import http.server
import json
import logging
import os
import sys
import threading
import time

from flask import Flask, jsonify
import boto3
import requests

from aws_xray_sdk.core import patch_all, xray_recorder
from aws_xray_sdk.ext.flask.middleware import XRayMiddleware

# Log records name their logger, so the test can tell the SDK's complaints from Flask's own log.
logging.basicConfig(level=logging.WARNING, format='%(name)s %(levelname)s %(message)s')
xray_recorder.configure(service='flask-orders', context_missing='LOG_ERROR')
patch_all()

app = Flask(__name__)
XRayMiddleware(app, xray_recorder)


class Inventory(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"in_stock":true}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


inventory = http.server.HTTPServer(('127.0.0.1', 0), Inventory)
threading.Thread(target=inventory.serve_forever, daemon=True).start()
INVENTORY_URL = 'http://127.0.0.1:%d/inventory/A-1' % inventory.server_address[1]
xray_api = boto3.client('xray', endpoint_url=os.environ['XRAY_API_URL'], region_name='us-east-1',
                        aws_access_key_id='local', aws_secret_access_key='local')


@xray_recorder.capture('price_order')
def price_order(order_id):
    xray_recorder.current_subsegment().put_annotation('order_id', order_id)
    return 42.5


@app.route('/orders/<int:order_id>')
def get_order(order_id):
    segment = xray_recorder.current_segment()
    segment.put_annotation('customer', 'alice')
    segment.put_annotation('vip', True)
    segment.put_metadata('request', {'order': order_id, 'note': None}, 'orders')
    segment.set_user('alice')
    with xray_recorder.in_subsegment('load_order') as sub:
        sub.put_annotation('rows', 3)
        sub.put_metadata('query', 'SELECT * FROM orders WHERE id = %d' % order_id)
        stock = requests.get(INVENTORY_URL, timeout=5).json()
    xray_api.get_groups()
    return jsonify({'id': order_id, 'total': price_order(order_id), 'stock': stock})


@app.route('/charge')
def charge():
    xray_recorder.current_segment().put_annotation('customer', 'bob')
    raise ValueError('card declined')


@app.route('/health')
def health():
    return 'ok'


def wait_for_rules(deadline_seconds):
    sampler = xray_recorder.sampler
    sampler.start()
    deadline = time.monotonic() + deadline_seconds
    # The sampler's own rule cache fills when the rule poller's first request answers.
    while not sampler._cache.rules:
        if time.monotonic() > deadline:
            sys.exit('no sampling rules from the daemon within %d s' % deadline_seconds)
        time.sleep(0.02)
    return [rule.name for rule in sampler._cache.rules]


def trace_id_of(response):
    header = dict(part.split('=', 1) for part in response.headers['X-Amzn-Trace-Id'].split(';'))
    return header['Root']


def main():
    rules = wait_for_rules(10)
    client = app.test_client()
    traces = {}
    for route, expected in (('/orders/7', 200), ('/charge', 500), ('/health', 200)):
        response = client.get(route, headers={'User-Agent': 'flask-round-trip/1.0'})
        if response.status_code != expected:
            sys.exit('%s answered %d, not %d' % (route, response.status_code, expected))
        traces[route] = trace_id_of(response)
    inventory.shutdown()
    print('RESULT ' + json.dumps({'traces': traces, 'rules': rules}), flush=True)


main()

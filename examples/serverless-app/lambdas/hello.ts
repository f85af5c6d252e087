import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';

/**
 * Answers with what it was asked: the proxy event of a REST API (payload 1.0), or of an HTTP API
 * or a function URL (payload 2.0, which has `rawPath`).
 */
export const handler = async (event: APIGatewayProxyEvent | APIGatewayProxyEventV2): Promise<APIGatewayProxyResult> => {
  const v2 = 'rawPath' in event;
  const body = {
    message: 'hello',
    method: v2 ? event.requestContext.http.method : event.httpMethod,
    path: v2 ? event.rawPath : event.path,
    query: (v2 ? event.queryStringParameters : event.queryStringParameters) ?? {},
  };
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
};

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension EtcdClient {
    /// How a request ended at one member.
    enum Attempt<Reply> {
        case reply(Reply)
        /// The member could not serve it; the next one may.
        case passOver(EtcdError.EndpointFailure)
        /// The auth token was refused as invalid: etcd's simple tokens expire after 5 minutes
        /// idle, and a restarted member forgets them. Authenticate again and resend.
        case staleToken(String)
    }

    /// POSTs `body` to `path` on the members in turn until one serves it.
    /// - Parameter timeout: the deadline at each member (the configured request timeout
    ///   unless the call waits on purpose, as a lock does).
    /// - Parameter onTimeout: the error to end with when a member times out, instead of
    ///   passing over to the next (a lock whose wait ran out must not queue up again elsewhere).
    func call<Request: Encodable, Reply: Decodable>(
        _ path: String,
        _ body: Request,
        as reply: Reply.Type,
        timeout: Duration? = nil,
        onTimeout: ((EtcdEndpoint) -> EtcdError)? = nil
    ) async throws(EtcdError) -> Reply {
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(body)
        } catch {
            preconditionFailure("gateway requests always encode: \(error)")
        }
        let timeout = timeout ?? configuration.requestTimeout
        var tried: [EtcdEndpoint] = []
        var failures: [EtcdError.EndpointFailure] = []
        for index in session.order {
            let endpoint = configuration.endpoints[index]
            var attempt = try await send(path, encoded, to: endpoint, timeout: timeout, as: Reply.self)
            if case .staleToken = attempt {
                session.setToken(nil)
                attempt = try await send(path, encoded, to: endpoint, timeout: timeout, as: Reply.self)
            }
            switch attempt {
            case .staleToken(let message):
                // A token refused right after it was issued: not something a retry mends.
                throw .authenticationFailed(endpoint: endpoint, message: message)
            case .reply(let reply):
                session.answered(index)
                return reply
            case .passOver(let failure):
                if case .timedOut = failure, let onTimeout { throw onTimeout(endpoint) }
                logger.debug("etcd member passed over", metadata: ["etcd.endpoint": "\(endpoint)", "etcd.failure": "\(failure)"])
                tried.append(endpoint)
                failures.append(failure)
            }
        }
        throw .noQuorum(tried: tried, failures: failures)
    }

    private func send<Reply: Decodable>(
        _ path: String,
        _ body: Data,
        to endpoint: EtcdEndpoint,
        timeout: Duration,
        as: Reply.Type
    ) async throws(EtcdError) -> Attempt<Reply> {
        if let credentials = configuration.credentials, session.token == nil {
            switch try await authenticate(credentials, at: endpoint) {
            case .reply(let token): session.setToken(token)
            case .passOver(let failure): return .passOver(failure)
            case .staleToken(let message): throw .authenticationFailed(endpoint: endpoint, message: message)
            }
        }
        let (status, bytes): (HTTPResponseStatus, ByteBuffer)
        switch try await post(path, body, to: endpoint, timeout: timeout, token: session.token) {
        case .reply(let reply): (status, bytes) = reply
        case .passOver(let failure): return .passOver(failure)
        case .staleToken(let message): return .staleToken(message)
        }
        guard status == .ok else {
            let refusal = try? JSONDecoder().decode(GatewayStatus.self, from: bytes)
            let code = refusal?.code ?? -1
            let message = refusal?.message ?? refusal?.error ?? "HTTP \(status.code)"
            switch code {
            case GRPCStatusCode.unavailable, GRPCStatusCode.deadlineExceeded:
                return .passOver(.unavailable(message))
            case GRPCStatusCode.unauthenticated where configuration.credentials != nil:
                return .staleToken(message)
            default:
                throw .refused(endpoint: endpoint, code: code, message: message)
            }
        }
        do {
            return .reply(try JSONDecoder().decode(Reply.self, from: bytes))
        } catch {
            throw .malformedReply(endpoint: endpoint, reason: "\(error)")
        }
    }

    /// Trades the user and password for a token at `endpoint`.
    private func authenticate(
        _ credentials: EtcdConfiguration.Credentials,
        at endpoint: EtcdEndpoint
    ) async throws(EtcdError) -> Attempt<String> {
        let body: Data
        do {
            body = try JSONEncoder().encode(GatewayAuthenticateRequest(name: credentials.user, password: credentials.password))
        } catch {
            preconditionFailure("gateway requests always encode: \(error)")
        }
        switch try await post("/v3/auth/authenticate", body, to: endpoint, timeout: configuration.requestTimeout, token: nil) {
        case .passOver(let failure):
            return .passOver(failure)
        case .staleToken(let message):
            return .staleToken(message)
        case .reply(let (status, bytes)):
            let refusal = try? JSONDecoder().decode(GatewayStatus.self, from: bytes)
            if status != .ok, let code = refusal?.code,
                code == GRPCStatusCode.unavailable || code == GRPCStatusCode.deadlineExceeded
            {
                return .passOver(.unavailable(refusal?.message ?? "HTTP \(status.code)"))
            }
            guard status == .ok, let token = (try? JSONDecoder().decode(GatewayAuthenticateResponse.self, from: bytes))?.token,
                !token.isEmpty
            else {
                throw .authenticationFailed(endpoint: endpoint, message: refusal?.message ?? "HTTP \(status.code)")
            }
            return .reply(token)
        }
    }

    /// One POST to one member, its reply body read up to the configured bound.
    private func post(
        _ path: String,
        _ body: Data,
        to endpoint: EtcdEndpoint,
        timeout: Duration,
        token: String?
    ) async throws(EtcdError) -> Attempt<(HTTPResponseStatus, ByteBuffer)> {
        var request = HTTPClientRequest(url: endpoint.url(tls: configuration.tls != nil, path: path))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: token) }
        request.body = .bytes(ByteBuffer(data: body))
        do {
            let response = try await http.execute(request, timeout: TimeAmount(timeout), logger: logger)
            let bytes = try await response.body.collect(upTo: configuration.maximumResponseBytes)
            return .reply((response.status, bytes))
        } catch is NIOTooManyBytesError {
            throw .replyTooLarge(endpoint: endpoint, limit: configuration.maximumResponseBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .passOver(.timedOut(timeout))
        } catch {
            if Task.isCancelled { throw .cancelled }
            return .passOver(.unreachable("\(error)"))
        }
    }
}

import { pipeline } from 'node:stream';
import { Controller, Get, HttpCode, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Request, Response } from 'express';
import { BlobTooLargeError, MalwareScannerUnavailableError } from '@asiointitili/core';
import { CurrentPrincipal, Roles } from '../auth';
import type { Principal } from '../auth/principal';
import { IdParam } from '../http/controllers/params';
import { MAX_ATTACHMENT_BYTES } from '../http/limits';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { UploadedAttachmentSchema } from '../http/openapi/response.schemas';
import { ProblemException, notFound, problem } from '../http/problem';
import { LINE_TEXT_RULE, isLineText } from '../http/text-policy';
import { AgencyDirectory } from '../write/agency-directory';
import { AttachmentAccess, type Party } from './attachment-access';
import { ownerKey } from './attachment-records';
import { AttachmentUploader, MalwareDetectedError } from './attachment-uploader';
import { ContentMismatchError } from './content-check';
import { ALLOWED_TYPES, declaredType } from './content-types';
import { MAX_RAW_FILE_NAME, contentDisposition, sanitiseFileName } from './file-name';
import { requestLine } from '../process/request-scope';

export class UploadQueryDto {
  @ApiProperty({ description: 'The file name; path parts and control characters are removed, and it is cut to 255 bytes.', maxLength: MAX_RAW_FILE_NAME })
  @IsString()
  @Length(1, MAX_RAW_FILE_NAME)
  readonly name!: string;
}

export class UploadedAttachmentDto {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty() readonly contentType!: string;
  @ApiProperty() readonly size!: number;
  @ApiProperty({ description: 'SHA-256 of the content, lower-case hex' }) readonly sha256!: string;
}

const ALLOWED_LIST = Object.keys(ALLOWED_TYPES);

/**
 * Uploads and downloads (API.md, Attachments). The upload body is the raw file, never parsed by
 * the JSON body parser (http-app lets /v1/attachments through its 415 check): it is piped from
 * the request into the blob store, checked and hashed on the way.
 */
@ApiTags('attachments')
@ApiBearerAuth()
@Roles('citizen', 'agency')
@Controller('v1/attachments')
export class AttachmentsController {
  private readonly logger = new Logger('Attachments');

  constructor(
    private readonly uploader: AttachmentUploader,
    private readonly access: AttachmentAccess,
    private readonly agencies: AgencyDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Upload an attachment (the raw file, its type as Content-Type); name its id in a message, reply or application' })
  @ApiCreatedResponse({ type: UploadedAttachmentSchema })
  @ApiProblems({ status: 403, description: 'The agency in the token is not registered.' })
  @ApiConsumes(...ALLOWED_LIST)
  @ApiBody({ description: `The raw file, at most ${MAX_ATTACHMENT_BYTES} bytes, with its type as Content-Type.`, schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 400, description: 'invalid-file-name: the name is empty once tidied, or carries a control character or a bidirectional override (problem+json).' })
  @ApiResponse({ status: 413, description: 'attachment-too-large: over 10 MiB (problem+json).' })
  @ApiResponse({ status: 415, description: 'unsupported-attachment-type, attachment-content-mismatch, or unsupported-content-encoding: upload without a Content-Encoding (problem+json).' })
  @ApiResponse({ status: 422, description: 'malware-detected: the malware scanner found `signature` in the file; nothing was kept (problem+json).' })
  @ApiResponse({ status: 503, description: 'malware-scanner-unavailable: MALWARE_SCANNER_URL is set and clamd cannot be reached; nothing was kept; Retry-After (problem+json).' })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Query() query: UploadQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<UploadedAttachmentDto> {
    // Control characters and bidirectional overrides are refused, not stripped (text policy): a
    // name that needs them is disguising itself. Path parts and Windows-reserved characters are
    // still tidied by sanitiseFileName.
    if (!isLineText(query.name)) {
      throw new ProblemException(problem(400, 'invalid-file-name', `The file name ${LINE_TEXT_RULE}.`, { errors: [{ field: 'name', problem: LINE_TEXT_RULE }] }));
    }
    const name = sanitiseFileName(query.name);
    if (name === '') {
      throw new ProblemException(
        problem(400, 'invalid-file-name', 'The file name has nothing left once path parts and control characters are removed.', {
          errors: [{ field: 'name', problem: 'needs at least one visible character outside a path' }],
        }),
      );
    }
    const type = declaredType(request.headers['content-type']);
    if (!type) {
      throw new ProblemException(
        problem(415, 'unsupported-attachment-type', `Content-Type must be one of the allowed types: ${ALLOWED_LIST.join(', ')}.`, { allowed: ALLOWED_LIST }),
      );
    }
    // The stored bytes are the file as sent: a coded body would be stored (and hashed) coded, or
    // decoded into something the uploader never hashed. Refused, as RFC 9110 §15.5.16 allows.
    const coding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (coding !== '' && coding !== 'identity') {
      throw new ProblemException(problem(415, 'unsupported-content-encoding', 'Upload the file without a Content-Encoding.'), { 'Accept-Encoding': 'identity' });
    }
    // Refused before a byte is read when the client says up front that it is too big.
    if (Number(request.headers['content-length'] ?? 0) > MAX_ATTACHMENT_BYTES) throw tooLarge();
    if (principal.role === 'agency' && !(await this.agencies.isRegistered(principal.agencyId))) {
      throw new ProblemException(problem(403, 'agency-not-registered', 'The agency in the token is not registered.'));
    }
    try {
      const record = await this.uploader.upload(ownerKey(principal), name, type, request);
      return { id: record.id, name: record.name, contentType: record.contentType, size: record.size, sha256: record.sha256 };
    } catch (error) {
      if (error instanceof ContentMismatchError) {
        throw new ProblemException(problem(415, 'attachment-content-mismatch', `The content does not match the declared type ${type.mediaType}: ${error.reason}.`));
      }
      if (error instanceof MalwareDetectedError) {
        this.logger.warn(requestLine(request, `upload refused: malware detected (${error.signature})`));
        throw new ProblemException(
          problem(422, 'malware-detected', `The file contains malware (${error.signature}); it was not stored.`, { signature: error.signature }),
        );
      }
      if (error instanceof MalwareScannerUnavailableError) {
        this.logger.error(requestLine(request, `upload refused: ${error.message}`));
        throw new ProblemException(problem(503, 'malware-scanner-unavailable', 'Uploads cannot be checked for malware right now; retry later.'), {
          'Retry-After': '30',
        });
      }
      if (error instanceof BlobTooLargeError) {
        // The rest of an oversized body is not worth reading: answer, then close the connection.
        response.setHeader('Connection', 'close');
        throw tooLarge();
      }
      throw error;
    }
  }

  @Get(':id')
  @ApiOperation({ summary: 'Download an attachment (its own Content-Type; Content-Disposition names the file)' })
  @ApiResponse({
    status: 200,
    description: 'The file as uploaded.',
    headers: {
      'Content-Disposition': { description: 'attachment; filename="…"; filename*=UTF-8\'\'…', schema: { type: 'string' } },
      'Content-Length': { schema: { type: 'integer' } },
    },
    content: Object.fromEntries([...ALLOWED_LIST, 'application/octet-stream'].map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  })
  @ApiProblems({ status: 404, description: 'No such attachment, or not yours to read.' })
  async download(@CurrentPrincipal() principal: Principal, @Param() { id }: IdParam, @Res() response: Response): Promise<void> {
    const opened = await this.access.open(principal as Party, id);
    if (!opened) throw notFound('attachment');
    const { ref, content } = opened;
    response.status(200);
    response.setHeader('Content-Type', ref.contentType);
    response.setHeader('Content-Length', String(ref.size));
    response.setHeader('Content-Disposition', contentDisposition(ref.name));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    // Personal documents: no shared caches; and should a browser render one anyway, it runs nothing.
    response.setHeader('Cache-Control', 'private, no-store');
    response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    await new Promise<void>((resolve) => {
      // A failure mid-stream cannot become a problem+json any more: the connection is cut instead.
      pipeline(content, response, () => resolve());
    });
  }
}

const tooLarge = (): ProblemException =>
  new ProblemException(problem(413, 'attachment-too-large', `An attachment may be at most ${MAX_ATTACHMENT_BYTES} bytes (10 MiB).`, { limit: MAX_ATTACHMENT_BYTES }));

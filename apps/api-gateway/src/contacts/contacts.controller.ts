import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CONTACT_MODEL, ContactRepository, toId, type Contact } from '@isp/data';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { CreateContactDto, UpdateContactDto } from './contact.dto';

function view(c: Contact) {
  return { ...c, _id: undefined, id: String(c._id), buildings: (c.buildings ?? []).map(String) };
}

/** Who gets paged. Only admins manage contacts (phone numbers are personal data). */
@ApiTags('contacts')
@Audited('contact', CONTACT_MODEL)
@Controller(`${API_V1}/contacts`)
export class ContactsController {
  constructor(private readonly contacts: ContactRepository) {}

  @Get()
  @RequireRole(Role.ADMIN)
  @ApiOkResponse({ description: 'every contact' })
  async list() {
    return { items: (await this.contacts.findAll()).map(view) };
  }

  @Get(':id')
  @RequireRole(Role.ADMIN)
  @ApiOkResponse({ description: 'the contact' })
  async get(@Param('id', ParseObjectIdPipe) id: string) {
    const c = await this.contacts.findById(id);
    if (!c) throw new NotFoundException(`Contact ${id} not found`);
    return view(c);
  }

  @Post()
  @RequireRole(Role.ADMIN)
  @ApiCreatedResponse({ description: 'the new contact' })
  async create(@Body() dto: CreateContactDto) {
    return view(await this.contacts.create({ ...dto, buildings: (dto.buildings ?? []).map(toId) }));
  }

  @Patch(':id')
  @RequireRole(Role.ADMIN)
  @ApiOkResponse({ description: 'the contact as updated' })
  async update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateContactDto) {
    const { buildings, ...rest } = dto;
    const c = await this.contacts.update(id, { ...rest, ...(buildings && { buildings: buildings.map(toId) }) });
    if (!c) throw new NotFoundException(`Contact ${id} not found`);
    return view(c);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @RequireRole(Role.ADMIN)
  async remove(@Param('id', ParseObjectIdPipe) id: string) {
    if (!(await this.contacts.delete(id))) throw new NotFoundException(`Contact ${id} not found`);
  }
}
